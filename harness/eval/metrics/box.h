#pragma once
// Detection boxes and their overlap. Coordinates are continuous pixels of the model input,
// x_min, y_min, x_max, y_max (the HDF5 /boxes layout); width is x_max - x_min with no "+1"
// pixel convention, as in pycocotools.

#include <cstdint>

namespace harness::eval {

struct Box {
  float x_min = 0.0f;
  float y_min = 0.0f;
  float x_max = 0.0f;
  float y_max = 0.0f;
};

// A model's detection in one image.
struct Detection {
  Box box;
  int32_t class_id = 0;
  float score = 0.0f;
};

// A ground-truth object (the HDF5 /boxes, /box_classes and /box_sample rows).
struct TruthBox {
  Box box;
  int32_t class_id = 0;
  int32_t image = 0;
};

// Intersection over union, computed in double. A box with x_max < x_min (or y) has zero area;
// two boxes whose union has zero area have IoU 0.
double IoU(const Box& a, const Box& b);

}  // namespace harness::eval
