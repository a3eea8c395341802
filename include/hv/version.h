/* SPDX-License-Identifier: Apache-2.0 */
#ifndef HV_VERSION_H
#define HV_VERSION_H

#define BULKHEAD_VERSION "0.1.0"

#endif
