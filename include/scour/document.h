// A document as the library takes it in: an external id and named text fields.
#ifndef SCOUR_DOCUMENT_H_
#define SCOUR_DOCUMENT_H_

#include <string>
#include <vector>

namespace scour {

struct Field {
  std::string name;
  std::string value;    // UTF-8 text
  bool indexed = true;  // analysed and inverted (searchable)
  bool stored = true;   // kept for display (snippets, --fields)
};

struct Document {
  std::string id;  // unique external id; adding an existing id replaces that document
  std::vector<Field> fields;
};

}  // namespace scour

#endif  // SCOUR_DOCUMENT_H_
