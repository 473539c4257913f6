"""Web pages through which units check and send their returns, and the office board (issue 12).

`python -m pipeline.web serve` runs the server; `python -m pipeline.web links` makes the links.
The pipeline is reached only through `pipeline.web.checking`.
"""
