/*
 * libdrtopo - umbrella header. Include this one: <drtopo/drtopo.h>.
 * See libdrtopo(3) for the object model, ownership, errors and threads.
 */
#ifndef DRTOPO_H
#define DRTOPO_H

#include "common.h"
#include "model.h"
#include "result.h"
#include "load.h"
#include "posture.h"

#endif /* DRTOPO_H */
