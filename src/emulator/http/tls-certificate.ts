/** A certificate and its private key, PEM. */
export interface TlsCertificate {
  cert: string;
  key: string;
}

/**
 * A self-signed certificate for the emulator's https listener, made at each start (its key never
 * leaves the process): valid for `host`, 127.0.0.1 and localhost, from an hour before `now` to two days after. It is its own CA:
 * a client trusts exactly this run by trusting this certificate (`--json` prints its path).
 * node:crypto cannot issue X.509 certificates, hence the `selfsigned` library, loaded only here:
 * it is most of the emulator's code by size, and only `--https` needs it.
 */
export async function makeLoopbackCertificate(host: string, now: number): Promise<TlsCertificate> {
  const isIp = /^[\d.]+$|:/.test(host);
  const altNames = [
    { type: 7 as const, ip: '127.0.0.1' },
    { type: 2 as const, value: 'localhost' },
    ...(host !== '127.0.0.1' && host !== 'localhost' ? [isIp ? { type: 7 as const, ip: host } : { type: 2 as const, value: host }] : []),
  ];
  // A CommonJS module: bundled, its exports arrive as the namespace's default.
  const loaded: typeof import('selfsigned') & { default?: typeof import('selfsigned') } = await import('selfsigned');
  const generate = loaded.default?.generate ?? loaded.generate;
  const made = await generate([{ name: 'commonName', value: `dvas emulator (${host})` }], {
    keySize: 2048,
    notBeforeDate: new Date(now - 3_600_000),
    notAfterDate: new Date(now + 2 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: made.cert, key: made.private };
}
