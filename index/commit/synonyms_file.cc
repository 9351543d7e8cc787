#include "index/commit/synonyms_file.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "index/format/file_format.h"
#include "index/format/file_names.h"
#include "synonyms/codec.h"

namespace scour::index {

absl::Status WriteSynonymsFile(Directory* dir, uint64_t generation, const SynonymSet& set) {
  SCOUR_ASSIGN_OR_RETURN(
      auto w, FramedWriter::Create(dir, SynonymsFileName(generation), FileKind::kSynonyms));
  SCOUR_RETURN_IF_ERROR(w.Append(synonyms::EncodeSynonymSet(set)));
  return w.Finish();
}

absl::StatusOr<std::shared_ptr<const SynonymSet>> ReadSynonymsFile(Directory* dir,
                                                                   const Manifest& m) {
  if (m.synonyms == 0) return nullptr;
  const std::string file_name = SynonymsFileName(m.synonyms);
  SCOUR_ASSIGN_OR_RETURN(auto file, dir->Open(file_name));
  const std::string name = absl::StrCat(dir->Describe(), "/", file_name);
  SCOUR_ASSIGN_OR_RETURN(std::string_view body,
                         CheckFrame(file->data(), FileKind::kSynonyms, name));
  if (FrameVersion(file->data()) < 3)
    return absl::DataLossError(absl::StrCat(name, ": a synonyms file of format version ",
                                            FrameVersion(file->data()), " (synonyms are 3 on)"));
  SCOUR_ASSIGN_OR_RETURN(auto set, synonyms::DecodeSynonymSet(body, name));
  if (set->analyzer_options().language != m.language ||
      set->analyzer_options().stopwords != m.stopwords) {
    return absl::DataLossError(
        absl::StrCat(name, ": analysed with language ", set->analyzer_options().language,
                     set->analyzer_options().stopwords ? " and stopwords" : "", ", the index with ",
                     m.language, m.stopwords ? " and stopwords" : ""));
  }
  return set;
}

}  // namespace scour::index
