/**
 * Microsoft Entra ID sign-in hosts: the public cloud, the US government and China clouds, and
 * their aliases. A bearer challenge that points at one of these is trusted as it is; any other
 * authority (AD FS, a private cloud) must be set on the profile by someone who trusts it.
 */
const MICROSOFT_LOGIN_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login-us.microsoftonline.com',
  'login.usgovcloudapi.net',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

export function isMicrosoftLoginHost(host: string): boolean {
  return MICROSOFT_LOGIN_HOSTS.has(host.toLowerCase());
}

export const PUBLIC_CLOUD_AUTHORITY = 'https://login.microsoftonline.com';
