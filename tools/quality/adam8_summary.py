"""The README's 8-bit Adam table from tools/quality/adam8_quality.sh's TSV: test accuracy per seed, the mean difference to
float32 state over the seeds that did not diverge, and the mean test loss. Usage: python3 tools/quality/adam8_summary.py [TSV]"""
import collections, csv, math, statistics as st, sys
rows=list(csv.DictReader(open(sys.argv[1] if len(sys.argv) > 1 else 'docs/adam8-quality.tsv'),delimiter='\t'))
ref={(r['opt'],r['seed']):r for r in rows if r['state']=='fp32'}
g=collections.defaultdict(list)
for r in rows:
    if r['state']=='fp32': continue
    g[(r['opt'],r['state'],r['guard'])].append(r)
print("| optimizer | state | guard | test accuracy, seeds 1/2/3 (%) | against float32 (points, mean) | test loss (mean) |")
print("| --- | --- | --- | --- | --- | --- |")
for opt in ['adam','adamw']:
    f=[float(ref[(opt,s)]['acc']) for s in '123']
    print(f"| {opt} | float32 | | {' / '.join('%.2f'%(100*x) for x in f)} | | {st.mean(float(ref[(opt,s)]['loss']) for s in '123'):.4f} |")
    for (o,state,guard),rs in g.items():
        if o!=opt: continue
        accs=[]; 
        for r in rs:
            a = float(r['acc'])
            accs.append(None if math.isnan(a) else a)
        nan=sum(1 for a in accs if a is None)
        ok=[(a,float(ref[(opt,r['seed'])]['acc'])) for a,r in zip(accs,rs) if a is not None]
        d=st.mean(100*(a-b) for a,b in ok) if ok else float('nan')
        losses=[float(r['loss']) for r,a in zip(rs,accs) if a is not None]
        acc_s=' / '.join('NaN' if a is None else '%.2f'%(100*a) for a in accs)
        diff = f"{d:+.2f}" + (f" ({nan} of {len(rs)} diverged)" if nan else "") if ok else f"all {len(rs)} diverged"
        loss = f"{st.mean(losses):.4f}" if losses else "NaN"
        print(f"| {opt} | {state} | {'on' if guard == 'true' else 'off'} | {acc_s} | {diff} | {loss} |")
