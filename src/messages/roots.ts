/** The GC roots socket (`gc-socket/socket`): a client sends a path, the GC acks with `1`. */
export type RootsRequest = { readonly type: 'roots.add'; readonly path: string };
export type RootsReply = { readonly type: 'roots.ack' };
