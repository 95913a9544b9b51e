"""WTForms forms. Templates render fields through templates/components/fields.html."""
