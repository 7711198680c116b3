// The product version, kept in step with package.json by test/version.test.ts.
export const APP_VERSION = '0.1.0'
export const PRODUCT_NAME = 'PatchMon appliance'
export const USER_AGENT = `PatchMon-Appliance/${APP_VERSION}`
