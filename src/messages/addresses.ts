/** What an actor can connect to. */
export type Address = { readonly kind: 'daemon' } | { readonly kind: 'gcSocket' };

/** Errno of a failed connect, as Nix's `connect()` would see it. */
export type ConnectErrno = 'ENOENT' | 'ECONNREFUSED';

export class ConnectFailed extends Error {
  constructor(readonly errno: ConnectErrno, readonly address: Address) {
    super(`connect(${address.kind}): ${errno}`);
    this.name = 'ConnectFailed';
  }
}
