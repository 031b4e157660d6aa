/*
 * cli/cmd_explain.c: 'dhr explain'. Not implemented yet: its issue is open.
 */
#include "commands.h"
#include "dhr/common.h"

int dhr_cmd_explain(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	dhr_cli_errorf("'explain' is not implemented yet");
	return DHR_EXIT_FATAL;
}
