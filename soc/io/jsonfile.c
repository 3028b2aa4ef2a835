/*
 * jsonfile: whole JSON files into json-c objects. See jsonfile.h.
 */
#include "soc/io/jsonfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soc/io/slurp.h"

void json_file_position(const char *buf, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && buf[i]; i++) {
        if (buf[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

int json_file_load(const char *path, const char *what, size_t max_bytes, json_object **out,
                   char **text, diag_t *d)
{
    char *buf;
    size_t len;

    *out = NULL;
    if (text)
        *text = NULL;
    if (slurp_file(path, what, max_bytes, &buf, &len, d) != 0)
        return DIAG_ERR;
    if (len == 0) {
        free(buf);
        return diag_error(d, path, 0, 0, "the %s is empty (expected JSON)", what);
    }
    return json_text_parse(path, what, buf, len, out, text, d);
}

int json_text_parse(const char *path, const char *what, char *buf, size_t len,
                    json_object **out, char **text, diag_t *d)
{
    json_tokener *tok;
    json_object *o;
    enum json_tokener_error err;

    *out = NULL;
    if (text)
        *text = NULL;
    tok = json_tokener_new_ex(JSON_FILE_MAX_DEPTH);
    if (tok == NULL) {
        free(buf);
        return diag_error(d, path, 0, 0, "out of memory");
    }
    /* The terminating NUL ends a top-level number ("42") that could otherwise go on. */
    o = json_tokener_parse_ex(tok, buf, (int)len + 1);
    err = json_tokener_get_error(tok);
    if (err == json_tokener_continue)
        err = json_tokener_error_parse_eof;
    if (err == json_tokener_success) {
        /* Only white space may follow the value. */
        size_t off = json_tokener_get_parse_end(tok);
        while (off < len && strchr(" \t\r\n", buf[off]))
            off++;
        if (off < len) {
            int line, col;
            json_file_position(buf, off, &line, &col);
            json_object_put(o);
            json_tokener_free(tok);
            free(buf);
            return diag_error(d, path, line, col, "not JSON: text after the %s", what);
        }
    } else {
        int line, col;
        json_file_position(buf, json_tokener_get_parse_end(tok), &line, &col);
        json_object_put(o);
        json_tokener_free(tok);
        free(buf);
        if (err == json_tokener_error_depth)
            return diag_error(d, path, line, col, "arrays and objects nested more than %d deep",
                              JSON_FILE_MAX_DEPTH);
        return diag_error(d, path, line, col, "not JSON: %s", json_tokener_error_desc(err));
    }
    json_tokener_free(tok);
    if (text)
        *text = buf;
    else
        free(buf);
    *out = o;
    return 0;
}

