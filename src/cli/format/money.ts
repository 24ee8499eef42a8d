/** Money in the CLI's summaries: reais with two decimals, grouped like the other figures printed (`R$ 1,234,567.89`). */
export function formatReais(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  return `${sign}R$ ${Math.abs(amount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
