#!/usr/bin/env python3
"""Functions longer than a limit (default 80 lines), by brace counting:
`python3 scripts/long_functions.py [LIMIT] [DIR...]` (default src/app src/ui)."""
import re,sys,os
limit=int(sys.argv[1]) if len(sys.argv)>1 else 80
for root in sys.argv[2:] or ['src/app','src/ui']:
  for dp,_,fs in os.walk(root):
    for f in fs:
      if not f.endswith('.rs'): continue
      p=os.path.join(dp,f); L=open(p).read().split('\n')
      i=0
      while i<len(L):
        m=re.match(r'\s*(pub(\([^)]*\))?\s+)?(async\s+)?(const\s+)?fn\s+(\w+)',L[i])
        if m and not L[i].strip().startswith('//'):
          # find opening brace
          depth=0; started=False; j=i
          while j<len(L):
            for ch in L[j]:
              if ch=='{': depth+=1; started=True
              elif ch=='}': depth-=1
            if started and depth==0: break
            if not started and L[j].rstrip().endswith(';'): break
            j+=1
          n=j-i+1
          if n>limit: print(n,p,m.group(5))
          i=i+1
        else: i+=1
