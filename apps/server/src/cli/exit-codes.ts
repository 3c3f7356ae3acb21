/** What `countersign` exits with (documented in the README and in `countersign --help`). */
export const EXIT = {
  /** Done; for `verify` and `audit verify`: valid and intact. */
  ok: 0,
  /** The command ran and the answer is no: an invalid proof, a tampered log, nothing found, an unmet `--expect`. */
  failed: 1,
  /** A mistake in the command line, the config file, a policy or the environment; or no store where one is needed. */
  usage: 2,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  done (verify, audit verify: valid and intact)
  1  the answer is no: invalid proof, tampered log, not found, --expect not met; or an unexpected error
  2  usage: a wrong flag, config file, policy or environment variable, or no store where one is needed`;
