/** The machine's load, printed with the results: on a shared machine absolute numbers drift, ratios less. */
import { cpus, loadavg } from "node:os";

export const loadLine = () => {
  const [one, five, fifteen] = loadavg().map((x) => x.toFixed(2));
  return `load average ${one}, ${five}, ${fifteen} on ${cpus().length} cores`;
};
