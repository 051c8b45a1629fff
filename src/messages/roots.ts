/** The GC roots socket (`gc-socket/socket`): a client sends a path, the GC acks with `1`. */
export type RootsRequest = { readonly type: 'roots.add'; readonly path: string };
/** `roots.reset` stands for the kernel's RST on a connection nobody will serve (ECONNRESET at the client). */
export type RootsReply = { readonly type: 'roots.ack' } | { readonly type: 'roots.reset' };
