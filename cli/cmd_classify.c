/*
 * cli/cmd_classify.c: 'dhr classify'. Not implemented yet: its issue is open.
 */
#include "commands.h"
#include "dhr/common.h"

int dhr_cmd_classify(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	dhr_cli_errorf("'classify' is not implemented yet");
	return DHR_EXIT_FATAL;
}
