/** The canonical order of messages received at one instant (inbox.ts), pure. */
import type { MessageEvent } from '../core/index.ts';

/** Topic, then sender, then seq. */
export function canonicalOrder(a: MessageEvent, b: MessageEvent): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  const sa = a.msg.header!.sender;
  const sb = b.msg.header!.sender;
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.msg.header!.seq - b.msg.header!.seq;
}
