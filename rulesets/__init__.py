"""Built-in rulesets (YAML). This folder is installed as the package ``fzlint.rulesets``."""
