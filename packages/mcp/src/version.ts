/** Reported to upstreams and clients as the gateway's and approval server's version. */
export const PACKAGE_VERSION = "0.1.0";
