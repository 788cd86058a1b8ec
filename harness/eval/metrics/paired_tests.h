#pragma once
// Statistics for comparing two results on the same samples: McNemar's test on per-sample
// correctness (mcnemar.h) and a paired bootstrap interval for any metric's difference
// (bootstrap.h).

#include "harness/eval/metrics/bootstrap.h"
#include "harness/eval/metrics/mcnemar.h"
