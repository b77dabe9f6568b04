//! A picker's entries (organisations, people, localities, fields of work) with the
//! same entries as `<option>` elements, escaped once. The lists every person sees the
//! same are built once per organisation-tree version (`refdata::kept`) and shared by
//! every form on the node; a form then only marks the chosen entry. A page with a
//! locality picker in each row of a table draws its hundred options from one string.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::kit::escape_html_into;

#[derive(Debug, Clone, Default)]
pub struct PickList {
    pub items: Arc<[(i64, String)]>,
    /// `<option value="{id}">{name}</option>` for every item, in order.
    html: Arc<str>,
}

impl PickList {
    pub fn new(items: Vec<(i64, String)>) -> PickList {
        let mut html = String::with_capacity(items.iter().map(|(_, n)| n.len() + 32).sum());
        for (id, name) in &items {
            let _ = write!(html, "<option value=\"{id}\">");
            escape_html_into(&mut html, name);
            html.push_str("</option>");
        }
        PickList {
            items: items.into(),
            html: html.into(),
        }
    }

    /// The `<option>` elements, `chosen` marked selected when it is among them.
    pub fn options(&self, chosen: Option<i64>) -> Arc<str> {
        let Some(id) = chosen else {
            return self.html.clone();
        };
        let needle = format!("<option value=\"{id}\">");
        match self.html.find(&needle) {
            Some(at) => {
                let mut out = String::with_capacity(self.html.len() + 9);
                out.push_str(&self.html[..at]);
                let _ = write!(out, "<option value=\"{id}\" selected>");
                out.push_str(&self.html[at + needle.len()..]);
                out.into()
            }
            None => self.html.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_only_the_chosen_entry_is_marked() {
        let list = PickList::new(vec![
            (7, "Sở Y tế".into()),
            (17, "<b>\"Hội\" & 'Đoàn'</b>".into()),
        ]);
        assert_eq!(
            &*list.options(None),
            "<option value=\"7\">Sở Y tế</option><option value=\"17\">&lt;b&gt;&quot;Hội&quot; &amp; &#39;Đoàn&#39;&lt;/b&gt;</option>"
        );
        let chosen = list.options(Some(7));
        assert!(chosen.starts_with("<option value=\"7\" selected>Sở Y tế"));
        assert_eq!(chosen.matches("selected").count(), 1, "17 is not 7");
        assert_eq!(&*list.options(Some(1)), &*list.options(None));
    }
}
