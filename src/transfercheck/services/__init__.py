"""Use cases: one function each, run inside a unit of work. The API, the web pages and the
CLI all call these; none of them decides anything on its own."""
