/**
 * How much a request reserves: its input tokens — by default a true upper bound (the bytes of the prompt, or
 * the input the gateway reported for the run's previous prompt plus the bytes of what is new, whichever is
 * smaller); with `reserve: 'estimate'` the calibrated characters / `charsPerToken` estimate, which is not a
 * bound — plus `max_tokens` of output (thinking included), at the requested model's price. The arithmetic is
 * the pure `planReservation`; this class keeps what it remembers per run (anchors, calibration).
 * @module
 */
import {
  ConfigurationError,
  DEFAULT_MAX_TOKENS,
  estimateInputTokens,
  type MessageCreateParams,
  type ModelPrice,
  promptOf,
  type RequestOptions,
  type Usage,
} from '@loopguard/messages';
import type { InputRule } from './budget-events.js';
import type { ResolvedBudgetOptions } from './budget-options.js';
import { inputTokenBound } from './input-token-bound.js';
import { ConversationAnchors, type PromptSnapshot, snapshotPrompt } from './internal/conversation-anchors.js';
import { InputCalibration } from './internal/input-calibration.js';
import { planReservation, type ReservationAmounts } from './plan-reservation.js';

/** A request's reservation, worked out: how its input was counted, and the amounts (`planReservation`). */
export interface ReservationPlan extends ReservationAmounts {
  /** The prompt as sent, to anchor the run's next prompt on once the gateway reports its input. */
  prompt: PromptSnapshot;
  inputTokens: number;
  inputRule: InputRule;
  /** The uncalibrated estimate (`reserve: 'estimate'` only), to calibrate with the reported input. */
  rawEstimate: number | undefined;
  maxTokens: number;
}

type PlannerOptions = Pick<ResolvedBudgetOptions, 'reserve' | 'charsPerToken' | 'onExceed' | 'minOutputTokens'>;

/** Plans reservations; remembers, per run, what the gateway reported, to anchor the next one. */
export class ReservationPlanner {
  readonly #options: PlannerOptions;
  readonly #anchors = new ConversationAnchors();
  readonly #calibration = new InputCalibration();

  constructor(options: PlannerOptions) {
    this.#options = options;
  }

  /**
   * The reservation of `params` for run `runId`, priced at `price` (the requested model's). A `thread:
   * continue` request without `threadContext` is refused with a `ConfigurationError`.
   */
  plan(
    params: Readonly<MessageCreateParams>,
    requestOptions: Pick<RequestOptions, 'threadContext'>,
    runId: string,
    model: string,
    price: ModelPrice,
  ): ReservationPlan {
    if (params.thread?.type === 'continue' && requestOptions.threadContext === undefined) {
      // The request carries only its new turn: a bound from it would reserve far too little.
      throw new ConfigurationError(
        'A `thread: continue` request needs `options.threadContext` (the whole conversation) so the budget can bound it.',
        { code: 'invalid_request' },
      );
    }
    const whole = promptOf(params, requestOptions);
    const prompt = snapshotPrompt(whole);
    let inputTokens: number;
    let inputRule: InputRule;
    let rawEstimate: number | undefined;
    if (this.#options.reserve === 'estimate') {
      rawEstimate = estimateInputTokens(whole, { charsPerToken: this.#options.charsPerToken });
      inputTokens = Math.ceil(rawEstimate * this.#calibration.factor(model));
      inputRule = 'estimate';
    } else {
      const bound = inputTokenBound(whole);
      const anchored = this.#anchors.bound(runId, prompt);
      inputRule = anchored !== undefined && anchored < bound ? 'anchored' : 'bound';
      inputTokens = inputRule === 'anchored' ? (anchored as number) : bound;
    }
    const maxTokens = params.max_tokens ?? DEFAULT_MAX_TOKENS;
    const { onExceed, minOutputTokens } = this.#options;
    const amounts = planReservation({ inputTokens, maxTokens, price, onExceed, minOutputTokens });
    return { prompt, inputTokens, inputRule, rawEstimate, maxTokens, ...amounts };
  }

  /** Records the input the gateway reported for a prompt of run `runId`. */
  observe(
    runId: string,
    model: string,
    prompt: PromptSnapshot,
    rawEstimate: number | undefined,
    usage: Partial<Usage>,
  ): void {
    // Cache tokens are input too: the anchor is everything the model read.
    const input =
      (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
    this.#anchors.record(runId, prompt, input);
    if (rawEstimate !== undefined) this.#calibration.observe(model, rawEstimate, usage.input_tokens ?? 0);
  }
}
