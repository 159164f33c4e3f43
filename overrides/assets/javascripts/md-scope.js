/* Material's partials/javascripts/base.html as a file (see overrides/partials/javascripts/
   base.html). The site root is two folders above this script, wherever the site is served. */
(function (script) {
  var scope = script.getAttribute("data-scope");
  window.__md_scope = scope ? new URL(scope, location) : new URL("../..", script.src);
})(document.currentScript);
__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
