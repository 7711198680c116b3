// Error messages of the vulnerabilities feature (src/vulnerabilities/): part of the one table,
// ERROR_MESSAGES in error-messages.ts.
import { entry } from './error-entry.js'

export const VULNERABILITY_ERROR_MESSAGES = {
  vulnerabilities: {
    importNotFound: entry('Import not found', 404),
    cveNotFound: entry('Vulnerability not found', 404),
    uploadEmpty: entry('The upload is empty: send the feed file as the request body', 400),
    uploadTooLarge: entry(
      'Feed file too large',
      413,
      'error+message',
      (limitMb: string) =>
        `The feed file is larger than the upload limit of ${limitMb} MB: import it with \`patchmon cve import FILE\` on the server instead`
    ),
    importRunning: entry('A feed import is already running', 409),
    downloadRunning: entry('A feed download is already running', 409),
    cve_download_enabled: entry('cve_download_enabled must be true or false', 400, 'validation'),
    cve_download_urls: entry('cve_download_urls must list http or https URLs without credentials (at most 20)', 400, 'validation'),
    cve_download_interval_hours: entry('cve_download_interval_hours must be an integer between 1 and 168', 400, 'validation')
  }
} as const
