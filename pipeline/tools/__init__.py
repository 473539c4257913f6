"""Developer and analyst tools around the pipeline: the template, demo returns, benchmark, run comparison."""
