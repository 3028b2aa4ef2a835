/*
 * jsonfile: a whole JSON file into a json-c object, with errors that name the file and,
 * for a syntax error, its line:column. Used for reports (`orinsim diff`) and TensorRT
 * layer profiles (`orinsim profile`).
 */
#ifndef ORINSIM_JSONFILE_H
#define ORINSIM_JSONFILE_H

#include <json-c/json.h>
#include <stddef.h>

#include "sim/diag.h"

/* Arrays and objects inside each other: a report or a TensorRT profile needs 4. json-c
 * counts the levels as it reads, so a deeper file stops there (linear time). */
enum { JSON_FILE_MAX_DEPTH = 32 };

/* Load `path` (at most max_bytes) as one JSON value followed by nothing but white space.
 * `what` names the file in messages ("report", "profile"). With `text` non-NULL, the
 * file's text is kept there (NUL-terminated; the caller frees it) so that later errors
 * can name a line (json_file_position). Returns 0 with *out set, or DIAG_ERR with d
 * naming the file. */
int json_file_load(const char *path, const char *what, size_t max_bytes, json_object **out,
                   char **text, diag_t *d);

/* Parse `buf` (len bytes, NUL-terminated, read from `path`) as json_file_load does. It
 * takes `buf`: frees it, or with `text` non-NULL hands it back there on success. */
int json_text_parse(const char *path, const char *what, char *buf, size_t len,
                    json_object **out, char **text, diag_t *d);

/* 1-based line and column of byte `off` of `text`. */
void json_file_position(const char *text, size_t off, int *line, int *col);

#endif
