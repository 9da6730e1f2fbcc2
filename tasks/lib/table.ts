/**
 * Renders rows as an aligned text table. By default the first column is left-aligned and the others
 * right-aligned (amounts); `align` overrides it per column ("l" or "r").
 */
export function table(header: string[], rows: string[][], align?: ("l" | "r")[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const alignment = (i: number) => align?.[i] ?? (i === 0 ? "l" : "r");
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (alignment(i) === "l" ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}
