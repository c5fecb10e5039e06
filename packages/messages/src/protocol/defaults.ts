/**
 * The defaults of the protocol, written once: the model and `max_tokens` a request gets when it names
 * none, and the gateway's base URL. Every package reads them from here.
 * @module
 */

/** The model a request uses when it names none. */
export const DEFAULT_MODEL = 'claude-opus-4-6';

/** `max_tokens` sent when the params do not set it. */
export const DEFAULT_MAX_TOKENS = 4096;

/** The gateway's base URL, used when neither `baseURL` nor `LOOPGUARD_BASE_URL` is set. */
export const DEFAULT_BASE_URL = 'https://api.aivideoapi.ai/v1';
