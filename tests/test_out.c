/*
 * Tests of the checked writer (soc/io/out.c): a file appears under its name only once it
 * is whole, a failed output leaves nothing behind and says why, and strings bound for
 * JSON are valid UTF-8 whatever bytes they came from. The command-line side (/dev/full,
 * a closed standard output, a file size limit) is tests/cli/output.sh.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "soc/io/out.h"

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/orinsim-out-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* The number of entries in dir, "." and ".." left out. */
static int entries(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void read_back(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    size_t n;
    ck_assert_ptr_nonnull(f);
    n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
}

START_TEST(file_appears_whole)
{
    char path[128], buf[64];
    out_t o;
    diag_t d;
    make_dir();
    snprintf(path, sizeof path, "%s/r.json", dir);
    diag_clear(&d);
    ck_assert_int_eq(out_open(&o, path, "report", &d), 0);
    fputs("{\"a\": 1}\n", o.f);
    fflush(o.f);
    /* Written so far, but under the temporary name only. */
    ck_assert_int_eq(access(path, F_OK), -1);
    ck_assert_int_eq(entries(), 1);
    ck_assert_int_eq(out_close(&o, &d), 0);
    read_back(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "{\"a\": 1}\n");
    ck_assert_int_eq(entries(), 1);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(discard_keeps_the_old_file)
{
    char path[128], buf[64];
    out_t o;
    diag_t d;
    FILE *f;
    make_dir();
    snprintf(path, sizeof path, "%s/r.json", dir);
    f = fopen(path, "w");
    fputs("old\n", f);
    fclose(f);
    diag_clear(&d);
    ck_assert_int_eq(out_open(&o, path, "report", &d), 0);
    fputs("new, half written", o.f);
    out_discard(&o);
    read_back(path, buf, sizeof buf);
    ck_assert_str_eq(buf, "old\n");
    ck_assert_int_eq(entries(), 1);
    unlink(path);
    rmdir(dir);
}
END_TEST

START_TEST(full_device_says_why)
{
    out_t o;
    diag_t d;
    if (access("/dev/full", W_OK) != 0)
        return;
    diag_clear(&d);
    ck_assert_int_eq(out_open(&o, "/dev/full", "report", &d), 0);
    /* More than a stdio buffer, so that some of it is written before the close. */
    for (int i = 0; i < 10000; i++)
        fputs("0123456789", o.f);
    ck_assert_int_eq(out_close(&o, &d), DIAG_ERR);
    ck_assert_str_eq(d.file, "/dev/full");
    ck_assert_str_eq(d.msg, "cannot write the report: No space left on device");
}
END_TEST

START_TEST(missing_directory)
{
    out_t o;
    diag_t d;
    diag_clear(&d);
    ck_assert_int_eq(out_open(&o, "/nonexistent-dir/r.json", "report", &d), DIAG_ERR);
    ck_assert_str_eq(d.msg, "cannot write the report: No such file or directory");
}
END_TEST

static void utf8_is(const char *in, const char *want)
{
    json_object *j = out_json_string(in);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_object_get_string(j), want);
    json_object_put(j);
}

START_TEST(json_strings_are_utf8)
{
    /* Valid text is kept as it is: ASCII, 2-byte (é), 3-byte (€), 4-byte (U+1F600). */
    utf8_is("conv \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "conv \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    utf8_is("", "");
    /* Each byte that starts no valid sequence becomes U+FFFD (EF BF BD): a lone
     * continuation byte, a Latin-1 byte, an overlong '/' (C0 AF), a UTF-16 surrogate
     * (ED A0 80), a code point above U+10FFFF (F4 90 80 80), a sequence cut by the end. */
    utf8_is("a\x80z", "a\xef\xbf\xbdz");
    utf8_is("caf\xe9", "caf\xef\xbf\xbd");
    utf8_is("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
    utf8_is("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    utf8_is("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    utf8_is("x\xe2\x82", "x\xef\xbf\xbd\xef\xbf\xbd");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("out");
    TCase *tc = tcase_create("out");
    SRunner *sr;
    int failed;
    tcase_add_test(tc, file_appears_whole);
    tcase_add_test(tc, discard_keeps_the_old_file);
    tcase_add_test(tc, full_device_says_why);
    tcase_add_test(tc, missing_directory);
    tcase_add_test(tc, json_strings_are_utf8);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
