/* STUB: shared JSON loading helpers (to be implemented). */
#include "model.h"
