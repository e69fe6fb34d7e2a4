/** Natural comparison, newest first: `Nuke15.1v3` before `Nuke14.0v6`, `RV-2024.1` before `RV-2023.2`. */
export function compareNewestFirst(a: string, b: string): number {
  const ta = a.match(/\d+|\D+/g) ?? [];
  const tb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.max(ta.length, tb.length); i++) {
    const x = ta[i];
    const y = tb[i];
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const diff = Number(y) - Number(x);
      if (diff !== 0) return diff;
    } else if (x !== y) {
      return x < y ? 1 : -1;
    }
  }
  return 0;
}
