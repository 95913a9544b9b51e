"""Forms for cohorts: setting one up and adding organisations to it."""
