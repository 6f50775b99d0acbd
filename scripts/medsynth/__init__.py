"""medsynth: the review's bibliography model, its checks, its views and its command-line tool.

Data flows one way: ``bib/review.bib`` -> :mod:`medsynth.bibfile` (parse) ->
:mod:`medsynth.records` (typed records) -> :mod:`medsynth.lint` (checks) -> views
(the Sphinx extension in :mod:`medsynth.sphinxext`, exports, the command line).
"""

__version__ = "0.1.0"
