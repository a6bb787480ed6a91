// The Lambda side of a Cognito trigger, shared by both targets: a trigger closure returns only the `response` object
// (or nil for no change), and Cognito expects the whole event back with `response` filled in.

type TriggerEvent = { response?: unknown } & Record<string, unknown>;

/** The event to hand back to Cognito: `event` with `response` replaced by what the trigger returned (when anything). */
export function withResponse(event: TriggerEvent, response: unknown): TriggerEvent {
  if (response === undefined || response === null) return event;
  if (typeof response !== "object" || Array.isArray(response)) {
    throw new Error(`a trigger returns its response as a Json object (or nil), got ${JSON.stringify(response)}`);
  }
  return { ...event, response: { ...((event.response as object | null) ?? {}), ...(response as object) } };
}
