#pragma once
// Detection metrics: boxes and IoU (box.h), class-wise NMS (nms.h), COCO-style mAP
// (mean_average_precision.h).

#include "harness/eval/metrics/box.h"
#include "harness/eval/metrics/mean_average_precision.h"
#include "harness/eval/metrics/nms.h"
