/*
 * crc32c.h — CRC-32C (Castagnoli), table-driven, for the flow summary's
 * checksum: every one-, two- and three-bit error and every burst up to 32
 * bits in a summary is detected.
 */
#ifndef CVFW_CORE_CRC32C_H
#define CVFW_CORE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

extern uint32_t cv_crc32c(const uint8_t *data, size_t len);

/* the byte-wise table version, whatever the machine (for tests) */
extern uint32_t cv_crc32c_portable(const uint8_t *data, size_t len);

#endif							/* CVFW_CORE_CRC32C_H */
