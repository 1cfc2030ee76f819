/* SPDX-License-Identifier: Apache-2.0 */
/* discover: every device of every model built in (runner/discovery/model_table.c),
 * in model order: OpenCL devices, CUDA's, then the host's; a GPU that two
 * models reach (same PCI bus id) is one device with a binding per model
 * (hb_device_list_merge). Indices are the ones `hbmbench list` prints and
 * `--device N` accepts; they are stable while the set of installed drivers is. */
#ifndef HB_DISCOVER_H
#define HB_DISCOVER_H

#include "device.h"
#include "hb_error.h"

/* Fills list. A model that finds nothing is not an error: its status line
 * says why (list->model_status). Each model gets the discovery limit
 * (HB_DISCOVERY_TIMEOUT, runner/core/deadline.h): one that does not answer
 * within it is skipped with a message on stderr, its status saying so. A
 * bad HB_DISCOVERY_TIMEOUT is HB_EUSAGE before any model is asked. */
int hb_discover(hb_device_list *list, hb_err *err);

/* hb_discover of the models named (n_models 0: every one): a model not
 * named is never asked, so its runtime is never loaded (`--model`). The
 * indices are then those of the named models' devices alone. */
int hb_discover_models(hb_device_list *list, const char *const *models, int n_models, hb_err *err);

/* Devices of models other than the host's: 0 means no accelerator or CPU
 * runtime answered (`list` exits 3 then). */
size_t hb_discover_count_runtime(const hb_device_list *list);

#endif
