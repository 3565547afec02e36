import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { X509Certificate } from 'node:crypto';

/**
 * Reads the certificate a seed registers for an application user: inline PEM, or a path (relative
 * to the seed file) to a PEM or DER file. Returns the certificate as PEM, or why it cannot be read.
 */
export function readApplicationCertificate(value: string, baseDir: string): { pem: string } | { problem: string } {
  const inline = value.includes('-----BEGIN CERTIFICATE-----');
  let source: string | Buffer = value;
  if (!inline) {
    try {
      source = readFileSync(resolve(baseDir, value));
    } catch (error) {
      return { problem: `cannot read the certificate file ${value} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})` };
    }
  }
  try {
    return { pem: new X509Certificate(source).toString() };
  } catch {
    return { problem: inline ? 'its inline certificate is not a valid PEM certificate' : `${value} is not a PEM or DER certificate` };
  }
}
