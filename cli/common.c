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

int dhr_cli_load_rules(dhr_rules **out, const char *path, dhr_diag_cb diag, void *payload)
{
	dhr_rules_opts o = {0};
	o.diag = diag ? diag : print_diag;
	o.diag_payload = diag ? payload : NULL;
	dhr_error err;
	dhr_error_clear(&err);
	int rc = dhr_rules_compile(out, path, &o, &err);
	if (rc == DHR_ERULES)
		fprintf(stderr, "%s\n", err.message); /* each error was printed with its file:line:col */
	else if (rc < 0)
		dhr_cli_errorf("%s", err.message); /* the message names the file */
	return rc;
}
