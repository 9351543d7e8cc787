#!/usr/bin/python3
# Offline test of a per-query feedback switch (issue 15's goal, docs/COLLECTIONS.md): use the
# expanded ranking only when the first pass's scores are flat (s2/s1, s3/s1 or s10/s1 >= t), t
# chosen on the two dev collections, applied to the held-back one. Reads, in the current
# directory, C.N.eval (`scour eval -q -m ndcg_cut.10`) and C.N.run (`--run-out`) for each
# collection C and configuration N, made on the goal's `body` indexes:
#   for c in cranfield cisi scifact; do for n in "inb2:--ranker dfr-inb2" \
#     "inexpb2:--ranker dfr-inexpb2" "inb2bo1:--ranker dfr-inb2 --expand bo1" \
#     "inexpb2bo1:--ranker dfr-inexpb2 --expand bo1" "inexpb2rm3:--ranker dfr-inexpb2 --expand rm3"
#   do scour eval --index $c.body --topics T --qrels Q -m ndcg_cut.10 -q ${n#*:} \
#        --run-out $c.${n%%:*}.run > $c.${n%%:*}.eval; done; done
import collections, statistics
colls=['cranfield','cisi','scifact']
def ev(c,n):
    d={}
    for l in open(f'{c}.{n}.eval'):
        p=l.split()
        if len(p)==3 and p[0]=='ndcg_cut_10' and p[1]!='all': d[p[1]]=float(p[2])
    return d
def feats(c,n):
    sc=collections.defaultdict(list)
    for l in open(f'{c}.{n}.run'):
        q,_,d,r,s,_=l.split(); sc[q].append(float(s))
    return {q:v for q,v in sc.items()}
for base,fb in [('inexpb2','inb2bo1'),('inexpb2','inexpb2bo1'),('inb2','inb2bo1'),('inexpb2','inexpb2rm3')]:
    data={}
    for c in colls:
        b=ev(c,base); f=ev(c,fb); sc=feats(c,base)
        qs=[q for q in b if q in sc]
        data[c]=[(b[q], f.get(q,b[q]), sc[q]) for q in qs]
    def gain(c, feat, t):  # use fb when feat >= t
        return statistics.mean(fv if feat(s)>=t else bv for bv,fv,s in data[c])
    featsf={'s3/s1':lambda s: s[min(2,len(s)-1)]/s[0] if s[0]>0 else 0,
            's10/s1':lambda s: s[min(9,len(s)-1)]/s[0] if s[0]>0 else 0,
            's2/s1':lambda s: s[min(1,len(s)-1)]/s[0] if s[0]>0 else 0}
    for fname,fn in featsf.items():
        out=[]
        for held in colls:
            dev=[c for c in colls if c!=held]
            cands=sorted({round(fn(s),3) for c in dev for _,_,s in data[c]})+[9]
            t=max(cands,key=lambda t: sum(gain(c,fn,t) for c in dev))
            out.append(f'{held}: t={t:.3f} base {gain(held,fn,9):.4f} fb {gain(held,fn,0):.4f} gated {gain(held,fn,t):.4f}')
        print(base,fb,fname,' | '.join(out))
