// Losses and metrics written in JS are saved by name only (code is not data): on load the caller hands
// them back by that name, as Keras's custom_objects, or the error says how to.
import { checkLossFunction, type LossFunction, type MetricFunction } from '../registry/js-functions.js';
import { nameKey } from '../registry/lookup.js';
import { losses, jsLossRow, type LossRow } from '../registry/losses.js';
import { ModelFormatError } from './errors.js';
import { describe } from './fields.js';

/** Functions by the name a saved training config gives them: `{ my_loss: { name, fn, grad }, myMetric }`. */
export type CustomObjects = Readonly<Record<string, LossFunction | MetricFunction>>;

/** The entry of `custom` whose key is `name` in any spelling (save() writes names snake_case). */
function find(custom: CustomObjects | undefined, name: string): LossFunction | MetricFunction | undefined {
  if (!custom) return undefined;
  if (Object.hasOwn(custom, name)) return custom[name];
  const key = nameKey(name);
  const hit = Object.keys(custom).find((k) => nameKey(k) === key);
  return hit === undefined ? undefined : custom[hit];
}

const HINT = (what: string, name: string) =>
  `a ${what} written in JS is saved by name only: pass it back as loadLayersModel(url, { customObjects: { ${name}: … } }), or load with { compile: false } and compile again`;

/** The saved loss `name`: a built-in, or the caller's custom loss of that name. */
export function resolveSavedLoss(name: string, custom: CustomObjects | undefined): LossRow {
  const given = find(custom, name);
  if (given !== undefined) {
    try {
      return jsLossRow(checkLossFunction(given));
    } catch (e) {
      throw new ModelFormatError(`customObjects.${name}: ${e instanceof Error ? e.message.replace(/^compile: /, '') : String(e)}`, { cause: e });
    }
  }
  try {
    return losses.get(name);
  } catch (e) {
    throw new ModelFormatError(`trainingConfig.loss: ${e instanceof Error ? e.message : String(e)}; if '${name}' is your own loss, ${HINT('loss', name)}`, { cause: e });
  }
}

/** The saved metric `name`: the caller's function of that name, or the name (checked when compiling). */
export function resolveSavedMetric(name: string, custom: CustomObjects | undefined): string | MetricFunction {
  const given = find(custom, name);
  if (given === undefined) return name;
  if (typeof given !== 'function') throw new ModelFormatError(`customObjects.${name} must be a metric function (yTrue, yPred, rows, cols) => values, got ${describe(given)}`);
  return given;
}

/** What a failed compile of saved metrics adds: how to hand back the metric written in JS it did not know. */
export function metricHint(error: unknown, names: readonly (string | MetricFunction)[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = names.find((m): m is string => typeof m === 'string' && message.includes(`Unknown metric ${JSON.stringify(m)}`));
  return unknown === undefined ? '' : `; if '${unknown}' is your own metric, ${HINT('metric', unknown)}`;
}
