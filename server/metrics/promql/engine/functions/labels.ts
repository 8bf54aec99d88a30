/** label_replace and label_join. Both keep `__name__`; results must stay unique per step. */
import type { Call } from "../../ast";
import { expandTemplate } from "../../../relabel/regex";
import type { Evaluator } from "../evaluator";
import { compilePromRegex } from "../regex";
import { mergeSameLabels } from "../series-ops";
import { execError, type StepSeries } from "../types";
import type { Labels } from "../../../model";

function checkLabelName(fn: string, name: string): void {
  if (name === "" || /[\ud800-\udfff]/.test(name.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""))) {
    throw execError(`invalid destination label name in ${fn}(): ${name}`);
  }
}

function withLabel(l: Labels, name: string, value: string): Labels {
  const out: Labels = { ...l };
  if (value === "") delete out[name];
  else out[name] = value;
  return out;
}

export function labelReplace(ev: Evaluator, call: Call): StepSeries[] {
  const series = ev.evalVector(call.args[0]);
  const dst = ev.evalString(call.args[1]);
  const repl = ev.evalString(call.args[2]);
  const src = ev.evalString(call.args[3]);
  const regexText = ev.evalString(call.args[4]);
  let re: RegExp;
  try {
    re = compilePromRegex(regexText, true);
  } catch (err) {
    throw execError(`invalid regular expression in label_replace(): ${regexText}: ${(err as Error).message}`);
  }
  checkLabelName("label_replace", dst);
  const out = series.map((s) => {
    const m = re.exec(s.labels[src] ?? "");
    if (!m) return s;
    return { ...s, labels: withLabel(s.labels, dst, expandTemplate(repl, m)) };
  });
  return mergeSameLabels(out);
}

export function labelJoin(ev: Evaluator, call: Call): StepSeries[] {
  const series = ev.evalVector(call.args[0]);
  const dst = ev.evalString(call.args[1]);
  const sep = ev.evalString(call.args[2]);
  const srcs = call.args.slice(3).map((a) => ev.evalString(a));
  checkLabelName("label_join", dst);
  const out = series.map((s) => ({ ...s, labels: withLabel(s.labels, dst, srcs.map((n) => s.labels[n] ?? "").join(sep)) }));
  return mergeSameLabels(out);
}
