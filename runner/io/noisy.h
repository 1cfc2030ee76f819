/* SPDX-License-Identifier: Apache-2.0 */
/* noisy: when a result's iterations varied too much to trust its figure,
 * by the one threshold `hbmbench check` applies (the built-in rule "cv" of
 * runner/check/default_rules.json), so the tables that mark noisy rows
 * (run's and compare's) and check agree. */
#ifndef HB_NOISY_H
#define HB_NOISY_H

/* The cv threshold of the built-in rules (0.05: a coefficient of variation
 * of 5%), read once from the embedded rules file; NaN if it has none. */
double hb_noisy_cv(void);

/* Whether a coefficient of variation is above it (NaN, no samples: no). */
int hb_is_noisy(double cv);

#endif
