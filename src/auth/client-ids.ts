/**
 * Microsoft's public client id that every Dataverse environment accepts without an app
 * registration (dataverse reference §7); for development and administration, as Microsoft's
 * samples use it. The default for the device-code and interactive kinds.
 */
export const DATAVERSE_PUBLIC_CLIENT_ID = '51f81489-12ee-4a9e-aaae-a2591f45987d';
