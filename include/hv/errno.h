/* SPDX-License-Identifier: Apache-2.0 */
/* Recoverable errors are returned as negative values of these (style.md, tier 1). */
#ifndef HV_ERRNO_H
#define HV_ERRNO_H

#define EPERM	    1
#define ENOENT	    2
#define EIO	    5
#define E2BIG	    7
#define ENOMEM	    12
#define EFAULT	    14
#define EBUSY	    16
#define EEXIST	    17
#define ENODEV	    19
#define EINVAL	    22
#define ENOSPC	    28
#define ERANGE	    34
#define ENOSYS	    38
#define EOVERFLOW   75
#define ENOTSUP	    95
#define ETIMEDOUT   110
#define EINPROGRESS 115

#endif
