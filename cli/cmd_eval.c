/*
 * cli/cmd_eval.c: 'dhr eval'. Not implemented yet: its issue is open.
 */
#include "commands.h"
#include "dhr/common.h"

int dhr_cmd_eval(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	dhr_cli_errorf("'eval' is not implemented yet");
	return DHR_EXIT_FATAL;
}
