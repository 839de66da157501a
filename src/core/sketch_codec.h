/*
 * sketch_codec.h — the binary form of a duration sketch (sketch.h) inside
 * the conversion summary (pure C core, internal to the codecs):
 *
 *   u  count of zero durations
 *   u  number of buckets, then per bucket (keys ascending):
 *      u key delta (the first from 0; later ones > 0), u count (> 0),
 *      u128 sum of the bucket's durations in microseconds
 *
 * Reading checks every bucket as the flow summary's dwell buckets are
 * checked: the sum of a bucket's durations must fit its bounds, and no
 * duration may exceed the largest one possible (max_us).
 */
#ifndef CVFW_CORE_SKETCH_CODEC_H
#define CVFW_CORE_SKETCH_CODEC_H

#include "codec.h"
#include "sketch.h"

extern void cv_sketch_put(buf *b, const cv_sketch *s);

/*
 * Add the sketch read from r to *s; *total gets the number of durations
 * read.  Returns 0 (with r->why set) when the bytes are not a sketch of
 * durations between 0 and max_us, or counts pass limit.
 */
extern int	cv_sketch_get(reader *r, cv_sketch *s, uint64_t *total, uint64_t max_us, uint64_t limit);

#endif							/* CVFW_CORE_SKETCH_CODEC_H */
