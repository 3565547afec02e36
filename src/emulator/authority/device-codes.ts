import { randomBytes, randomInt } from 'node:crypto';

export interface DeviceCodeEntry {
  deviceCode: string;
  /** What the person types on the verification page: 9 characters, as Entra's. */
  userCode: string;
  clientId: string;
  /** The scopes asked for at the devicecode endpoint: what the token will carry. */
  scope: string;
  /** Epoch milliseconds after which the code answers `expired_token`. */
  expiresAt: number;
  /** The systemuserid of the person who approved the sign-in; unset while pending. */
  approvedUserId?: string;
}

const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Expired codes are kept this long, so a late poll still hears `expired_token` rather than `invalid_grant`. */
const KEEP_EXPIRED_MS = 15 * 60_000;

/** The device codes the authority has handed out, by device code and by user code. */
export class DeviceCodeStore {
  private readonly byDevice = new Map<string, DeviceCodeEntry>();
  private readonly byUser = new Map<string, DeviceCodeEntry>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(clientId: string, scope: string, approvedUserId: string | undefined): DeviceCodeEntry {
    this.prune();
    let userCode = newUserCode();
    while (this.byUser.has(userCode)) userCode = newUserCode();
    const entry: DeviceCodeEntry = {
      deviceCode: randomBytes(48).toString('base64url'),
      userCode,
      clientId,
      scope,
      expiresAt: this.now() + this.lifetimeMs,
      ...(approvedUserId !== undefined ? { approvedUserId } : {}),
    };
    this.byDevice.set(entry.deviceCode, entry);
    this.byUser.set(entry.userCode, entry);
    return entry;
  }

  get lifetimeSeconds(): number {
    return Math.ceil(this.lifetimeMs / 1000);
  }

  byDeviceCode(deviceCode: string): DeviceCodeEntry | undefined {
    return this.byDevice.get(deviceCode);
  }

  /** Case and separators do not matter, as people type codes. */
  byUserCode(userCode: string): DeviceCodeEntry | undefined {
    return this.byUser.get(userCode.toUpperCase().replace(/[\s-]/g, ''));
  }

  isExpired(entry: DeviceCodeEntry): boolean {
    return this.now() >= entry.expiresAt;
  }

  /** A code gives one token: once redeemed it is gone. */
  redeem(entry: DeviceCodeEntry): void {
    this.byDevice.delete(entry.deviceCode);
    this.byUser.delete(entry.userCode);
  }

  private prune(): void {
    const cutoff = this.now() - KEEP_EXPIRED_MS;
    for (const entry of this.byDevice.values()) {
      if (entry.expiresAt < cutoff) this.redeem(entry);
    }
  }
}

function newUserCode(): string {
  let code = '';
  for (let i = 0; i < 9; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}
