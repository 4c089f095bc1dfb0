"""The content pack's code: the only reader of ``content/``.

``records`` (the record classes), ``conditions`` (the grammar of an option's conditions),
``glossary`` (the plain-language matcher), ``load`` (finding and reading a pack),
``checks`` (its cross-checks) and ``cache`` (the checked pack kept between starts).
Nothing is re-exported here: import each name from its module.
"""
