/*
 * cli/common.c: helpers shared by the subcommands: loading the rules (the
 * built-in ones or -r FILE) with every diagnostic printed GCC-style.
 */
#include "commands.h"
#include "dhr/rules.h"

#include <stdio.h>

static void print_diag(const dhr_diag *d, void *payload)
{
	(void)payload;
	dhr_diag_print(stderr, d);
}

int dhr_cli_load_rules(dhr_rules **out, const char *path)
{
	dhr_rules_opts o = {0};
	o.diag = print_diag;
	dhr_error err;
	dhr_error_clear(&err);
	int rc = path ? dhr_rules_compile_file(out, path, &o, &err) : dhr_rules_compile_default(out, &o, &err);
	if (rc < 0)
		dhr_cli_errorf("%s: %s", path ? path : "built-in rules", err.message);
	return rc;
}
