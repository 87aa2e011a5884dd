import sys, csv, statistics as st, math, glob
rows = {}
for f in sys.argv[1:]:
    for r in csv.reader(open(f)):
        cfg, seed = r[0], int(r[1]); v = list(map(float, r[2:-1]))
        rows[(cfg, seed)] = (v[:8], v[8:16])
cfgs = sorted({c for c, s in rows}, key=lambda c: (c != 'fp32', c))
seeds = sorted({s for c, s in rows if c == 'fp32'})
def tcrit(n):
    t = {1:12.71,2:4.30,3:3.18,4:2.78,5:2.57,6:2.45,7:2.36,8:2.31,9:2.26,10:2.23,11:2.20,12:2.18,13:2.16,14:2.14,15:2.13,16:2.12,17:2.11,18:2.10,19:2.09,20:2.09,23:2.07,30:2.04}
    return t.get(n, 2.0)
for metric in ('e8', 'm68', 'loss8'):
    print('==', metric)
    for c in cfgs:
        if c == 'fp32': continue
        d = []
        for s in seeds:
            if (c, s) not in rows: continue
            a, l = rows[(c, s)]; fa, fl = rows[('fp32', s)]
            if metric == 'e8': d.append(100 * (a[7] - fa[7]))
            elif metric == 'm68': d.append(100 * (sum(a[5:8]) - sum(fa[5:8])) / 3)
            else: d.append(100 * (l[7] / fl[7] - 1))
        n = len(d)
        if n < 2: continue
        m, sd = st.mean(d), st.stdev(d); h = tcrit(n - 1) * sd / math.sqrt(n)
        print(f"{c:16s} n={n:2d} mean {m:+.2f} sd {sd:.2f} 95% [{m-h:+.2f},{m+h:+.2f}] neg {sum(x<0 for x in d)} pos {sum(x>0 for x in d)} |d|<=0.3: {sum(abs(x)<=0.3 for x in d)}  " + ' '.join(f"{x:+.2f}" for x in d))
print('fp32 e8:', ' '.join(f"{100*rows[('fp32',s)][0][7]:.2f}" for s in seeds))
print('fp32 e6-8 range per seed:', ' '.join(f"{100*(max(rows[('fp32',s)][0][5:8])-min(rows[('fp32',s)][0][5:8])):.2f}" for s in seeds))
